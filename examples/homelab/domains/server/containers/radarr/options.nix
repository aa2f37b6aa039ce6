{ lib, ... }: {
  options.hwc.server.containers.radarr = {
    enable = lib.mkEnableOption "radarr container";
    port = lib.mkOption {
      type = lib.types.port;
      default = 7878;
      description = "Port for radarr";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "radarr.local";
      description = "Domain for reverse proxy";
    };
  };
}
