{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.qbittorrent;
  torrentPort = toString cfg.torrentPort;
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.qbittorrent = {
      image = "lscr.io/linuxserver/qbittorrent:5.0.4";

      # The web UI checks the Host header against its own port, so host and
      # container port must match (WEBUI_PORT below).
      ports = [
        "127.0.0.1:${toString cfg.port}:${toString cfg.port}"
        # Peers on the internet must reach this one: all interfaces on purpose.
        "${torrentPort}:${torrentPort}"
        "${torrentPort}:${torrentPort}/udp"
      ];

      volumes = [
        "/opt/media/qbittorrent:/config"
        "/mnt/storage/downloads:/downloads"
      ];

      environment = {
        PUID = "1000";
        PGID = "1000";
        TZ = "America/Los_Angeles";
        WEBUI_PORT = toString cfg.port;
        TORRENTING_PORT = torrentPort;
      };
    };

    networking.firewall = {
      allowedTCPPorts = [ cfg.torrentPort ];
      allowedUDPPorts = [ cfg.torrentPort ];
    };

    systemd.tmpfiles.rules = [
      "d /opt/media/qbittorrent 0755 1000 1000 -"
      "d /mnt/storage/downloads 0775 1000 1000 -"
    ];
  };
}
