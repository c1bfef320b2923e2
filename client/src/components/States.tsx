import type { JSX } from "solid-js";

export function Loading(props: { label?: string }) {
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" />
      {props.label ?? "Loading…"}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: JSX.Element }) {
  return (
    <div class="state state-empty">
      <strong>{props.title}</strong>
      <div class="state-hint">{props.children}</div>
    </div>
  );
}

export function ErrorState(props: { message: string; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <strong>Something went wrong</strong>
      <div class="state-hint">{props.message}</div>
      {props.onRetry && (
        <button class="button" type="button" onClick={() => props.onRetry?.()}>
          Try again
        </button>
      )}
    </div>
  );
}
