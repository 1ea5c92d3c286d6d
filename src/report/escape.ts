/**
 * Escaping for text that came from users (file names, group names, run ids) before it goes into
 * HTML or inline SVG. One function serves element text and quoted attribute values alike.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  // C0 controls (other than tab, newline, return) are not allowed in XML/SVG text; show them as U+FFFD
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}
