export function StatusBadge(props: { status: string | null | undefined }) {
  const status = () => props.status ?? "unknown";
  return (
    <span class="status" data-status={status()} title={status()}>
      <span class="status-dot" />
      {status()}
    </span>
  );
}
