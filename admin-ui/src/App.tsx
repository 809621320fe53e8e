import { useEffect, type JSX } from 'react';
import { Header } from './components/Header';
import { AnnouncementsPage } from './pages/AnnouncementsPage';
import { BansPage } from './pages/BansPage';
import { ClientsPage } from './pages/ClientsPage';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { ModerationLogPage } from './pages/ModerationLogPage';
import { RoomDetailPage } from './pages/RoomDetailPage';
import { RoomsPage } from './pages/RoomsPage';
import { NAV_LINKS, parseHash, useHash, type Route } from './router';
import { useSession } from './session';

function pageFor(route: Route, token: string): JSX.Element {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage token={token} />;
    case 'rooms':
      return <RoomsPage />;
    case 'room':
      return <RoomDetailPage key={route.roomId} roomId={route.roomId} />;
    case 'clients':
      return <ClientsPage />;
    case 'bans':
      return <BansPage />;
    case 'moderation-log':
      return <ModerationLogPage />;
    case 'announcements':
      return <AnnouncementsPage />;
  }
}

function titleOf(route: Route, loggedIn: boolean): string {
  if (!loggedIn) {
    return 'Log in';
  }
  return route.page === 'room' ? 'Room' : (NAV_LINKS.find((link) => link.page === route.page)?.label ?? 'Dashboard');
}

/** Login when there is no token; otherwise the header and the page named by the location hash. */
export function App(): JSX.Element {
  const { token, notice } = useSession();
  const route = parseHash(useHash());
  const title = titleOf(route, token !== null);

  useEffect(() => {
    document.title = `${title} · Parley admin`;
  }, [title]);

  if (token === null) {
    return <LoginPage notice={notice} />;
  }
  return (
    <>
      <Header page={route.page} />
      <main className="page">{pageFor(route, token)}</main>
    </>
  );
}
