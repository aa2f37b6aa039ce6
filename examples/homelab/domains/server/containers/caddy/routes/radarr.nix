{ config, ... }:
let
  cfg = config.hwc.server.containers.radarr;
in {
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
  };
}
