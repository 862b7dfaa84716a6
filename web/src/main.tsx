/** Boot: styles (only imported here, so tests never load CSS), runtime config, then the app. */
import '@xyflow/react/dist/style.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client';
import { loadConfig } from './api/config';
import { createApi } from './api/endpoints';
import { App } from './App';
import { applyTheme, storedTheme } from './components/theme';

// Before the first render: resolve the theme (stored choice, else the system preference) onto <html>.
applyTheme(storedTheme());

async function boot(): Promise<void> {
  const config = await loadConfig();
  const client = new ApiClient({
    baseUrl: config.apiUrl,
    streamBaseUrl: config.streamUrl,
    storage: window.localStorage,
    locks:
      'locks' in navigator
        ? (navigator.locks as unknown as {
            request<T>(name: string, cb: () => Promise<T>): Promise<T>;
          })
        : null,
  });
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App api={createApi(client)} />
    </StrictMode>,
  );
}

void boot();
