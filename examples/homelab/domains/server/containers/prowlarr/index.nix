{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.prowlarr;
  helpers = import ../../../../lib/helpers.nix { inherit lib; };
in {
  imports = [ ./options.nix ];

  # mkContainer adds PUID/PGID 1000 and TZ, so the call stays short.
  config = lib.mkIf cfg.enable (lib.mkMerge [
    (helpers.mkContainer {
      name = "prowlarr";
      image = cfg.image;
      ports = [ "127.0.0.1:${toString cfg.port}:9696" ];
      volumes = [ "/opt/media/prowlarr:/config" ];
    })
    {
      systemd.tmpfiles.rules = [
        "d /opt/media/prowlarr 0755 1000 1000 -"
      ];
    }
  ]);
}
