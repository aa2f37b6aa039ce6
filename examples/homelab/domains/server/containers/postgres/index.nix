{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.postgres;

  # Shared by every container that talks to the database (n8n, paperless,
  # redis): they reach each other by container name on this network.
  network = "hwc-db";

  # Runs once, on an empty data directory. psql's \getenv reads the role
  # passwords from the container environment (postgres-env), so they never
  # land in the Nix store.
  initScript = pkgs.writeText "10-hwc-databases.sql" ''
    \getenv n8n_password N8N_DB_PASSWORD
    \getenv paperless_password PAPERLESS_DB_PASSWORD
    CREATE ROLE n8n LOGIN PASSWORD :'n8n_password';
    CREATE DATABASE n8n OWNER n8n;
    CREATE ROLE paperless LOGIN PASSWORD :'paperless_password';
    CREATE DATABASE paperless OWNER paperless;
  '';
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.postgres = {
      image = cfg.image;

      # For psql and backups from the host itself.
      ports = [
        "5432:5432"
      ];

      volumes = [
        "/opt/databases/postgres:/var/lib/postgresql/data"
        "${initScript}:/docker-entrypoint-initdb.d/10-hwc-databases.sql:ro"
      ];

      environmentFiles = [ config.age.secrets."postgres-env".path ];

      extraOptions = [
        "--network=${network}"
      ] ++ lib.optionals (cfg.shmSize != null) [
        "--shm-size=${cfg.shmSize}"
      ];
    };

    # Create the network before any container that joins it.
    systemd.services."podman-network-${network}" = {
      description = "Podman network ${network}";
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      wantedBy = [ "multi-user.target" ];
      script = ''
        ${pkgs.podman}/bin/podman network inspect ${network} >/dev/null 2>&1 || \
          ${pkgs.podman}/bin/podman network create ${network} --subnet 10.89.0.0/24
      '';
    };

    systemd.services.podman-postgres = {
      requires = [ "podman-network-${network}.service" ];
      after = [ "podman-network-${network}.service" ];
    };

    # The official image runs postgres as uid 999.
    systemd.tmpfiles.rules = [
      "d /opt/databases/postgres 0700 999 999 -"
    ];

    assertions = [{
      assertion = !cfg.enable || config.age.secrets."postgres-env".path != null;
      message = "hwc.server.containers.postgres requires secret 'postgres-env'";
    }];
  };
}
