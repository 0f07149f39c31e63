/**
 * GET /storageplugin/api/docs: the spec as a page a person can read (Swagger UI, its assets served from the npm package,
 * so the page works offline and loads nothing from elsewhere).
 */
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

const ASSETS = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** The page may run its own scripts and styles, and nothing from elsewhere. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>CDM storage plugin API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

/** The spec comes from the plugin itself (openapi.json next to the page); trying calls out needs a session id. */
const INIT = `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
});
`;

const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  // The page and its assets change only with the plugin: a browser may keep them for a while.
  res.setHeader('Cache-Control', 'public, max-age=3600');
  next();
};

export function docsRoutes(): Router {
  const router = Router();
  router.get('/docs', pageHeaders, (req, res) => {
    // Relative asset links resolve only from the address without a trailing slash.
    if (req.path.endsWith('/')) return void res.redirect(301, req.originalUrl.replace(/\/+(\?|$)/, '$1'));
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', pageHeaders, (_req, res) => void res.type('application/javascript').send(INIT));
  router.use(
    '/docs',
    pageHeaders,
    express.static(ASSETS, { index: false, fallthrough: false, dotfiles: 'ignore', maxAge: '1h' }),
  );
  return router;
}
