// The header of every page below the landing page (a room, a saved report): the brand, linking home.
export function PageHeader() {
  return (
    <header className="page-header">
      <a href="/" className="brand">
        p2pcheck
      </a>
    </header>
  );
}
