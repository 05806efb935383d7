/** A failed request, said plainly (the server's own message names what is wrong). */
export function ErrorNote({ error, what }: { error: Error; what: string }) {
  return (
    <p class="error-note" role="alert">
      Could not load {what}: {error.message}
    </p>
  );
}
