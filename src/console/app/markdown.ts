// Markdown as the bot writes it: **bold**, *italic*, `code`, "- " lists, backslash escapes.
// Everything is HTML-escaped first, so user data can never become markup.
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function inline(line: string): string {
  const escapes: string[] = [];
  let s = line.replace(/\\([\\`*_{}[\]()#+!|>~.-])/g, (_, ch: string) => `\u0000${escapes.push(ch) - 1}\u0000`);
  s = escapeHtml(s);
  s = s
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>')
    // _italic_ as the bot writes it, but not the underscores inside a word (webex_calling).
    .replace(/(^|[^\w])_([^_]+)_(?![\w])/g, '$1<em>$2</em>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => escapeHtml(escapes[Number(i)] ?? ''));
}

export function renderMarkdown(md: string): string {
  let html = '';
  let inList = false;
  for (const line of md.split('\n')) {
    if (/^- /.test(line)) {
      if (!inList) html += '<ul>';
      inList = true;
      html += `<li>${inline(line.slice(2))}</li>`;
      continue;
    }
    if (inList) html += '</ul>';
    inList = false;
    html += `${inline(line)}<br>`;
  }
  return html + (inList ? '</ul>' : '');
}
