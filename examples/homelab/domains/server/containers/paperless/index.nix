{ config, pkgs, lib, ... }:
let
  cfg = config.hwc.server.containers.paperless;
  documentsDir = "/mnt/storage/documents";
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.paperless = {
      image = "ghcr.io/paperless-ngx/paperless-ngx:2.15.1";

      ports = [ "127.0.0.1:${toString cfg.port}:8000" ];

      volumes = [
        "/opt/business/paperless/data:/usr/src/paperless/data"
        "/opt/business/paperless/media:/usr/src/paperless/media"
        "${documentsDir}/consume:/usr/src/paperless/consume"
        "${documentsDir}/export:/usr/src/paperless/export"
      ];

      environment = {
        USERMAP_UID = "1000";
        USERMAP_GID = "1000";
        PAPERLESS_URL = "https://${cfg.domain}";
        PAPERLESS_TIME_ZONE = "America/Los_Angeles";
        PAPERLESS_OCR_LANGUAGE = "eng";
        PAPERLESS_REDIS = "redis://redis:6379";
        PAPERLESS_DBHOST = "postgres";
        PAPERLESS_DBNAME = "paperless";
        PAPERLESS_DBUSER = "paperless";
      };

      # PAPERLESS_SECRET_KEY, PAPERLESS_DBPASS
      environmentFiles = [ config.age.secrets."paperless-env".path ];

      extraOptions = [ "--network=hwc-db" ];

      dependsOn = [ "postgres" "redis" ];
    };
  };
}
