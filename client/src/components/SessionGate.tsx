import { createResource, createSignal, Show, type JSX } from "solid-js";
import { getSession, signIn } from "../api/session.ts";

/**
 * Shows its children unless the server says this browser must sign in first.
 * Optimistic: the pages start loading while the session is checked, so a
 * server without API keys costs no extra round trip before the first rows.
 */
export function SessionGate(props: { children?: JSX.Element }) {
  const [session, { refetch }] = createResource(() => getSession().catch(() => null));
  const mustSignIn = () => session()?.signed_in === false;
  return (
    <Show when={!mustSignIn()} fallback={<SignInForm onSignedIn={() => void refetch()} />}>
      {props.children}
    </Show>
  );
}

function SignInForm(props: { onSignedIn: () => void }) {
  const [key, setKey] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await signIn(key());
      props.onSignedIn();
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="page sign-in">
      <form class="card sign-in-card" onSubmit={submit}>
        <h1>Sign in</h1>
        <p class="page-sub">This Kalmia server needs one of its API keys (KALMIA_API_KEYS).</p>
        <input class="input" type="password" name="api_key" placeholder="API key" autocomplete="current-password" value={key()} onInput={(e) => setKey(e.currentTarget.value)} />
        {error() && <div class="state-error small" role="alert">{error()}</div>}
        <button class="button" type="submit" disabled={busy() || !key()}>
          Sign in
        </button>
      </form>
    </div>
  );
}
