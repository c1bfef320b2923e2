import { createResource, createSignal, Match, Switch, type JSX } from "solid-js";
import { getSession, signIn } from "../api/session.ts";
import { ErrorState, Loading } from "./States.tsx";

/** Shows its children once the server lets this browser read traces; asks for an API key otherwise. */
export function SessionGate(props: { children?: JSX.Element }) {
  const [session, { refetch }] = createResource(getSession);
  return (
    <Switch>
      <Match when={session.error}>
        <ErrorState message={(session.error as Error).message} onRetry={() => void refetch()} />
      </Match>
      <Match when={session.loading && !session.latest}>
        <Loading />
      </Match>
      <Match when={session()?.signed_in}>{props.children}</Match>
      <Match when={session()}>
        <SignInForm onSignedIn={() => void refetch()} />
      </Match>
    </Switch>
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
