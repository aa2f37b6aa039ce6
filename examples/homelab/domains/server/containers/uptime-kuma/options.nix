{ lib, ... }: {
  options.hwc.server.containers.uptime-kuma = {
    enable = lib.mkEnableOption "uptime-kuma container";
    image = lib.mkOption {
      type = lib.types.str;
      default = "louislam/uptime-kuma:latest";
      description = "Container image for uptime-kuma";
    };
    port = lib.mkOption {
      type = lib.types.port;
      default = 3001;
      description = "Port for uptime-kuma";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "status.local";
      description = "Domain for reverse proxy";
    };
  };
}
