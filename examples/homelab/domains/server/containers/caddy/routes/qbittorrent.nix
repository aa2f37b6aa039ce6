{ config, ... }:
let
  cfg = config.hwc.server.containers.qbittorrent;
in {
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
  };
}
