/** GET /info: the plugin's identity and images (no session). */
import { Router } from 'express';
import type { BackendDefinition } from '../../backend';
import { pluginIdOf } from '../../domain/service';
import type { PluginInfo } from '../../domain/types';
import { PLUGIN_VERSION } from '../../version';

export function pluginInfo(backend: BackendDefinition): PluginInfo {
  return {
    name: `CDM storage plugin for ${backend.displayName}`,
    id: pluginIdOf(backend),
    version: PLUGIN_VERSION,
    imageUrl: backend.images.imageUrl,
    iconUrl: backend.images.iconUrl,
  };
}

export function infoRoutes(backend: BackendDefinition, router: Router = Router()): Router {
  const info = pluginInfo(backend);
  return router.get('/info', (_req, res) => {
    res.json(info);
  });
}
