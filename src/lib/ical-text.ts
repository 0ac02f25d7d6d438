/**
 * A TEXT value (RFC 5545 §3.3.11) escaped: backslash, semicolon and comma quoted, line breaks as
 * \n, other control characters dropped. ical-generator escapes the properties of events but
 * writes the calendar's NAME and X-WR-CALNAME as given, so a calendar named after an event title
 * with a line break would start property lines (a whole VEVENT) of its own: name calendars with this.
 */
export function icalText(value: string): string {
  return value
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}
