// Display helpers: dates in the browser's locale, sizes in MB.

function parseDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  return parseDate(iso)?.toLocaleString() ?? iso;
}

/** For narrow columns: the time alone when it is today, else a short date and the time to the minute. */
export function formatShortDateTime(iso: string): string {
  const date = parseDate(iso);
  if (date === null) {
    return iso;
  }
  if (date.toDateString() === new Date().toDateString()) {
    return date.toLocaleTimeString();
  }
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function formatTime(iso: string): string {
  return parseDate(iso)?.toLocaleTimeString() ?? iso;
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatBanEnd(until: string | null): string {
  return until === null ? 'Permanent' : formatDateTime(until);
}
