{ lib, ... }: {
  options.hwc.server.containers.paperless = {
    enable = lib.mkEnableOption "paperless container";
    port = lib.mkOption {
      type = lib.types.port;
      default = 8000;
      description = "Port for paperless";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "paperless.local";
      description = "Domain for reverse proxy";
    };
  };
}
