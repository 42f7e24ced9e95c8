import { z } from 'zod';

// Runs before any of the app's client code and before hydration (Next's instrumentation-client convention,
// https://nextjs.org/docs/app/api-reference/file-conventions/instrumentation-client). In the browser zod would
// probe for eval (new Function) to compile its parsers; the CSP refuses eval and Chromium reports the refused probe
// as a violation even though zod catches it. Setting jitless here, and not in a component module, means no chunk can
// parse before it is set, whatever order the page's chunks load in. The server keeps the compiled parsers.
z.config({ jitless: true });
