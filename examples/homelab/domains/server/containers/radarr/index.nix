{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.radarr;

  # Radarr moves finished downloads into the movie library, so unlike a
  # player it needs the library writable.
  libraryMounts = [
    "/mnt/storage/media/movies:/movies" # hwc-lint: disable-line media-mount-writable -- radarr imports into the library
  ];
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.radarr = {
      image = "lscr.io/linuxserver/radarr:5.21.1";

      ports = [ "127.0.0.1:${toString cfg.port}:7878" ];

      volumes = [
        "/opt/media/radarr:/config"
        "/mnt/storage/downloads:/downloads"
      ] ++ libraryMounts;

      environment = {
        PUID = "1000";
        PGID = "1000";
        TZ = "America/Los_Angeles";
      };

      dependsOn = [ "prowlarr" ];
    };

    systemd.tmpfiles.rules = [
      "d /opt/media/radarr 0755 1000 1000 -"
    ];
  };
}
