# profiles/server.nix — what the home server runs.
#
# BASE is what every server needs. OPTIONAL is one block per container
# module: import its folder's index.nix, then enable it.
{ ... }:
{
  imports = [
    #==========================================================================
    # BASE
    #==========================================================================
    ../domains/server/containers/caddy/index.nix

    #==========================================================================
    # OPTIONAL — container modules
    #==========================================================================
    # Media
    ../domains/server/containers/sonarr/index.nix
    ../domains/server/containers/radarr/index.nix
    ../domains/server/containers/prowlarr/index.nix
    ../domains/server/containers/qbittorrent/index.nix

    # Databases
    ../domains/server/containers/postgres/index.nix

    # Services
    ../domains/server/containers/n8n/index.nix

    # Monitoring
    ../domains/server/containers/uptime-kuma/index.nix

    # Business
    ../domains/server/containers/paperless/index.nix
  ];

  #============================================================================
  # BASE
  #============================================================================
  virtualisation.podman = {
    enable = true;
    autoPrune.enable = true;
    defaultNetwork.settings.dns_enabled = true;
  };
  virtualisation.oci-containers.backend = "podman";

  hwc.server.containers.caddy.enable = true;

  #============================================================================
  # OPTIONAL
  #============================================================================
  # Media
  hwc.server.containers.sonarr.enable = true;
  hwc.server.containers.radarr.enable = true;
  hwc.server.containers.prowlarr.enable = true;
  hwc.server.containers.qbittorrent.enable = true;

  # Databases
  hwc.server.containers.postgres.enable = true;

  # Services
  hwc.server.containers.n8n.enable = true;

  # Monitoring
  hwc.server.containers.uptime-kuma.enable = true;

  # Business
  hwc.server.containers.paperless.enable = true;
}
