/**
 * GET /storageplugin/api/docs: the spec as a page a person can read (Swagger UI, its assets served from the npm package,
 * so the page works offline and loads nothing from elsewhere).
 */
import path from 'node:path';
import express, { type RequestHandler, type Response } from 'express';

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

/** The page may run its own scripts and styles; a browser may keep it and its assets for an hour. */
function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('Cache-Control', 'public, max-age=3600');
}

/**
 * GET /docs, its initializer and Swagger UI's assets as one middleware of the API router: other requests pay one
 * prefix test, not a dispatch per route.
 */
export function docsRoutes(): RequestHandler {
  const assets = express.static(ASSETS, { index: false, fallthrough: false, dotfiles: 'ignore', maxAge: '1h' });
  return (req, res, next) => {
    if (req.method !== 'GET' || !req.path.startsWith('/docs')) return next();
    if (req.path === '/docs' || req.path === '/docs/') {
      // Relative asset links resolve only from the address without a trailing slash.
      if (req.path.endsWith('/')) return void res.redirect(301, req.originalUrl.replace(/\/+(\?|$)/, '$1'));
      pageHeaders(res);
      return void res.type('html').send(PAGE);
    }
    if (!req.path.startsWith('/docs/')) return next();
    pageHeaders(res);
    if (req.path === '/docs/init.js') return void res.type('application/javascript').send(INIT);
    // The assets folder is the page's folder: serve them with the /docs prefix taken off the URL.
    const url = req.url;
    req.url = url.slice('/docs'.length);
    assets(req, res, (err?: unknown) => {
      req.url = url;
      next(err);
    });
  };
}
