{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.uptime-kuma;
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.uptime-kuma = {
      image = cfg.image;

      ports = [ "127.0.0.1:${toString cfg.port}:3001" ];

      volumes = [
        "/opt/apps/uptime-kuma:/app/data"
      ];

      # The entrypoint drops to PUID/PGID before starting the server.
      environment = {
        PUID = "1000";
        PGID = "1000";
        TZ = "America/Los_Angeles";
      };
    };

    systemd.tmpfiles.rules = [
      "d /opt/apps/uptime-kuma 0755 1000 1000 -"
    ];
  };
}
