{ lib, ... }: {
  options.hwc.server.containers.caddy = {
    enable = lib.mkEnableOption "Caddy reverse proxy for the container routes";
    email = lib.mkOption {
      type = lib.types.str;
      default = "admin@example.com";
      description = "ACME account email for public certificates";
    };
  };
}
