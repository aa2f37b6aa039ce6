// What well-known images need, as their documentation says: the port the app listens on
// inside the container, and the state category it belongs in. A small table we maintain;
// an image not in it gets no guess. Keyed by the image's last path segment (`sonarr` for
// `lscr.io/linuxserver/sonarr:4.0.14`), with `-` variants of the same app listed apart.

interface ImageDefault {
  port?: number;
  category?: 'media' | 'databases' | 'monitoring' | 'business' | 'services';
}

const DEFAULTS = new Map<string, ImageDefault>(Object.entries({
  // *arr, downloaders, players: media
  sonarr: { port: 8989, category: 'media' },
  radarr: { port: 7878, category: 'media' },
  lidarr: { port: 8686, category: 'media' },
  readarr: { port: 8787, category: 'media' },
  prowlarr: { port: 9696, category: 'media' },
  bazarr: { port: 6767, category: 'media' },
  whisparr: { port: 6969, category: 'media' },
  overseerr: { port: 5055, category: 'media' },
  jellyseerr: { port: 5055, category: 'media' },
  tautulli: { port: 8181, category: 'media' },
  sabnzbd: { port: 8080, category: 'media' },
  nzbget: { port: 6789, category: 'media' },
  qbittorrent: { port: 8080, category: 'media' },
  transmission: { port: 9091, category: 'media' },
  deluge: { port: 8112, category: 'media' },
  jellyfin: { port: 8096, category: 'media' },
  plex: { port: 32400, category: 'media' },
  emby: { port: 8096, category: 'media' },
  navidrome: { port: 4533, category: 'media' },
  audiobookshelf: { port: 80, category: 'media' },
  'calibre-web': { port: 8083, category: 'media' },
  kavita: { port: 5000, category: 'media' },
  'immich-server': { port: 2283, category: 'media' },
  // databases
  postgres: { port: 5432, category: 'databases' },
  mariadb: { port: 3306, category: 'databases' },
  mysql: { port: 3306, category: 'databases' },
  redis: { port: 6379, category: 'databases' },
  valkey: { port: 6379, category: 'databases' },
  mongo: { port: 27017, category: 'databases' },
  influxdb: { port: 8086, category: 'databases' },
  // monitoring
  grafana: { port: 3000, category: 'monitoring' },
  prometheus: { port: 9090, category: 'monitoring' },
  alertmanager: { port: 9093, category: 'monitoring' },
  loki: { port: 3100, category: 'monitoring' },
  'uptime-kuma': { port: 3001, category: 'monitoring' },
  netdata: { port: 19999, category: 'monitoring' },
  dozzle: { port: 8080, category: 'monitoring' },
  gatus: { port: 8080, category: 'monitoring' },
  // business
  'paperless-ngx': { port: 8000, category: 'business' },
  'invoiceninja': { port: 80, category: 'business' },
  'firefly-iii': { port: 8080, category: 'business' },
  // services
  n8n: { port: 5678, category: 'services' },
  vaultwarden: { port: 80, category: 'services' },
  nextcloud: { port: 80, category: 'services' },
  gitea: { port: 3000, category: 'services' },
  forgejo: { port: 3000, category: 'services' },
  homepage: { port: 3000, category: 'services' },
  'home-assistant': { port: 8123, category: 'services' },
  syncthing: { port: 8384, category: 'services' },
  mealie: { port: 9000, category: 'services' },
  freshrss: { port: 80, category: 'services' },
  searxng: { port: 8080, category: 'services' },
  'stirling-pdf': { port: 8080, category: 'services' },
  'it-tools': { port: 80, category: 'services' },
  whoami: { port: 80, category: 'services' },
  nginx: { port: 80, category: 'services' },
}));

function nameOf(image: string): string {
  const withoutDigest = image.split('@')[0];
  const last = withoutDigest.split('/').pop() ?? '';
  return last.split(':')[0].toLowerCase();
}

/** The port the app listens on inside the container, when the table knows the image. */
export function knownContainerPort(image: string): number | undefined {
  return DEFAULTS.get(nameOf(image))?.port;
}

/** The state category the app belongs in, when the table knows the image. */
export function knownCategory(image: string): string | undefined {
  return DEFAULTS.get(nameOf(image))?.category;
}
