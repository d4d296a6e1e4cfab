const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Reads an X-Amz-Date (`20150830T123600Z`) as a Date, or undefined when it is
 * not in that exact form or names an impossible time.
 *
 * Why exact: the signer re-formats the date it is given, so a loosely parsed
 * value (say with milliseconds) would be signed differently from what the
 * client sent and the failure would look like a wrong key.
 */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const m = text === undefined ? null : AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return roundTrips ? date : undefined;
}
