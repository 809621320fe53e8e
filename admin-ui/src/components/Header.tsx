import type { JSX } from 'react';
import { NAV_LINKS, type Route } from '../router';
import { logOut } from '../session';

export function Header({ page }: { page: Route['page'] }): JSX.Element {
  const current = page === 'room' ? 'rooms' : page;
  return (
    <header className="app-header">
      <span className="brand">Parley admin</span>
      <nav aria-label="Main">
        <ul>
          {NAV_LINKS.map((link) => (
            <li key={link.page}>
              <a href={link.href} aria-current={link.page === current ? 'page' : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" className="secondary" onClick={() => logOut()}>
        Log out
      </button>
    </header>
  );
}
