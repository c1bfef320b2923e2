import { A, Route, Router } from "@solidjs/router";
import { Shell } from "./components/Shell.tsx";
import { EmptyState } from "./components/States.tsx";
import { OverviewPage } from "./pages/overview/OverviewPage.tsx";
import { ProjectsPage } from "./pages/projects/ProjectsPage.tsx";
import { TracePage } from "./pages/trace/TracePage.tsx";
import { TracesPage } from "./pages/traces/TracesPage.tsx";
import { SessionPage } from "./pages/sessions/SessionPage.tsx";
import { SessionsPage } from "./pages/sessions/SessionsPage.tsx";
import { UsersPage } from "./pages/users/UsersPage.tsx";

export function App() {
  return (
    <Router root={Shell}>
      <Route path="/" component={ProjectsPage} />
      <Route path="/projects/:project" component={OverviewPage} />
      <Route path="/traces" component={TracesPage} />
      <Route path="/traces/:id" component={TracePage} />
      <Route path="/sessions" component={SessionsPage} />
      <Route path="/sessions/:id" component={SessionPage} />
      <Route path="/users" component={UsersPage} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}

function NotFound() {
  return (
    <div class="page">
      <EmptyState title="Page not found">
        <A href="/">Back to projects</A>
      </EmptyState>
    </div>
  );
}
