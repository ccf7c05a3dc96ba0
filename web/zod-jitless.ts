// Imported first by main.tsx, before any schema is built: zod's JIT compiles parsers with `new Function`, and even
// its probe for that (caught when the page's CSP forbids eval) raises a `securitypolicyviolation`. The page runs
// under script-src 'self' without 'unsafe-eval', so zod parses without the JIT here (the server keeps it).
import { z } from 'zod';

z.config({ jitless: true });
