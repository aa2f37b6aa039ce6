{ lib, ... }: {
  options.hwc.server.containers.sonarr = {
    enable = lib.mkEnableOption "sonarr container";
    port = lib.mkOption {
      type = lib.types.port;
      default = 8989;
      description = "Port for sonarr";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "sonarr.local";
      description = "Domain for reverse proxy";
    };
  };
}
