/**
 * Markdown as plain text for places that show text verbatim (iCalendar DESCRIPTION): links
 * become "text (url)", emphasis and heading marks go, lists and paragraphs stay as lines.
 * Raw HTML tags are removed. Deliberately small: calendar apps only need it readable.
 */
export function markdownToPlainText(md: string): string {
  return md
    .replace(/\r\n?/g, '\n')
    .replace(/```[a-z0-9-]*\n?/gi, '')
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<[^>\n]+>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\((\S+?)(?:\s+"[^"]*")?\)/g, (_m, text: string, url: string) => (text === url ? url : `${text} (${url})`))
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/^(\s*)[*+]\s+/gm, '$1- ')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
