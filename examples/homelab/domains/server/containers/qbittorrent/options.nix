{ lib, ... }: {
  options.hwc.server.containers.qbittorrent = {
    enable = lib.mkEnableOption "qbittorrent container";
    port = lib.mkOption {
      type = lib.types.port;
      default = 8080;
      description = "Port for the qbittorrent web UI";
    };
    torrentPort = lib.mkOption {
      type = lib.types.port;
      default = 6881;
      description = "Port peers connect to (TCP and UDP)";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "qbittorrent.local";
      description = "Domain for reverse proxy";
    };
  };
}
