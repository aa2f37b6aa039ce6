{ lib, ... }: {
  options.hwc.server.containers.prowlarr = {
    enable = lib.mkEnableOption "prowlarr container";
    image = lib.mkOption {
      type = lib.types.str;
      default = "lscr.io/linuxserver/prowlarr:1.33.3";
      description = "Container image for prowlarr";
    };
    port = lib.mkOption {
      type = lib.types.port;
      default = 9696;
      description = "Port for prowlarr";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "prowlarr.local";
      description = "Domain for reverse proxy";
    };
  };
}
