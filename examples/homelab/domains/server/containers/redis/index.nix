{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.redis;
in {
  imports = [ ./options.nix ];

  # Task queue for paperless. Not published on the host at all: clients
  # reach it as redis:6379 on the hwc-db network.
  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.redis = {
      image = "docker.io/library/redis:7.4-alpine";
      cmd = [ "redis-server" "--appendonly" "yes" ];

      volumes = [
        "/opt/databases/redis:/data"
      ];

      extraOptions = [ "--network=hwc-db" ];
    };

    systemd.services.podman-redis = {
      requires = [ "podman-network-hwc-db.service" ];
      after = [ "podman-network-hwc-db.service" ];
    };

    systemd.tmpfiles.rules = [
      "d /opt/databases/redis 0750 999 1000 -"
    ];
  };
}
