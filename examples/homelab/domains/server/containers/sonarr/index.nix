{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.sonarr;
  stateDir = "/opt/media/sonarr";
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.sonarr = {
      image = "lscr.io/linuxserver/sonarr:4.0.14";

      ports = [
        "127.0.0.1:${toString cfg.port}:8989"
      ];

      volumes = [
        "${stateDir}:/config"
        "/mnt/storage/downloads:/downloads"
        # hwc-lint: disable-next-line media-mount-writable -- sonarr imports finished downloads into the library, so it must write there
        "/mnt/storage/media/tv:/tv"
      ];

      environment = {
        PUID = "1000";
        PGID = "1000";
        TZ = "America/Los_Angeles";
      };

      dependsOn = [ "prowlarr" ];
    };

    systemd.tmpfiles.rules = [
      "d ${stateDir} 0755 1000 1000 -"
    ];
  };
}
