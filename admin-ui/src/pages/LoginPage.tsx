import { useState, type FormEvent, type JSX } from 'react';
import { login } from '../admin-api';
import { ApiError, errorMessage } from '../api';
import { ErrorMessage, StatusMessage } from '../components/Feedback';
import { logIn } from '../session';

function loginErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'RATE_LIMITED') {
    const retryAfterMs = error.details?.retryAfterMs;
    if (typeof retryAfterMs === 'number' && retryAfterMs > 0) {
      const seconds = Math.ceil(retryAfterMs / 1000);
      return `${error.message} Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
    }
  }
  return errorMessage(error);
}

export function LoginPage({ notice }: { notice: string | null }): JSX.Element {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await login(username, password);
      // Unmounts this page: nothing to update afterwards.
      logIn(token.accessToken);
    } catch (caught) {
      setError(loginErrorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="panel" onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <p className="brand">Parley admin</p>
        <h1 id="login-title">Log in</h1>
        {!error && <StatusMessage message={notice} />}
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </label>
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
