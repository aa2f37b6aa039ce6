{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.n8n;
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.n8n = {
      image = "docker.n8n.io/n8nio/n8n:1.85.4";

      ports = [
        "127.0.0.1:${toString cfg.port}:${toString cfg.port}"
      ];

      volumes = [
        "/opt/services/n8n:/home/node/.n8n"
        # A Local File Trigger workflow announces new episodes and films.
        "/mnt/storage/media:/media"
      ];

      environment = {
        N8N_HOST = cfg.domain;
        N8N_PORT = toString cfg.port;
        N8N_PROTOCOL = "https";
        WEBHOOK_URL = "https://${cfg.domain}/";
        GENERIC_TIMEZONE = "America/Los_Angeles";

        DB_TYPE = "postgresdb";
        DB_POSTGRESDB_HOST = "postgres";
        DB_POSTGRESDB_DATABASE = "n8n";
        DB_POSTGRESDB_USER = "n8n";
        DB_POSTGRESDB_PASSWORD = "n8n-dev-password";
      };

      # N8N_ENCRYPTION_KEY
      environmentFiles = [ config.age.secrets."n8n-env".path ];

      extraOptions = [ "--network=hwc-db" ];

      dependsOn = [ "postgres" ];
    };

    # The image runs as node (uid 1000).
    systemd.tmpfiles.rules = [
      "d /opt/services/n8n 0755 1000 1000 -"
    ];

    assertions = [{
      assertion = config.age.secrets ? "n8n-env";
      message = "hwc.server.containers.n8n requires secret 'n8n-env'";
    }];
  };
}
