import { CopyButton } from "./CopyButton.tsx";

/** The script tag for a site, with this server's origin filled in, ready to copy. */
export function snippetTag(origin: string): string {
  return `<script async src="${origin}/snippet.js"></script>`;
}
export function snippetTagWithQueue(origin: string): string {
  return `<script>window.trackEvent=window.trackEvent||function(){(window.trackEvent.q=window.trackEvent.q||[]).push(arguments)}</script>\n${snippetTag(origin)}`;
}

export function SnippetBlock({ origin = location.origin }: { origin?: string }) {
  const tag = snippetTag(origin);
  const full = snippetTagWithQueue(origin);
  return (
    <div class="snippet-block">
      <p>Paste this into the &lt;head&gt; of every page:</p>
      <pre class="code">
        <code>{tag}</code>
      </pre>
      <CopyButton text={tag} label="Copy the snippet" />
      <details>
        <summary>With custom events called before the script loads</summary>
        <pre class="code">
          <code>{full}</code>
        </pre>
        <CopyButton text={full} label="Copy the snippet with its queue" />
      </details>
    </div>
  );
}
