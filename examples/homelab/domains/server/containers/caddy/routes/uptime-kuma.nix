{ config, ... }:
let
  cfg = config.hwc.server.containers.uptime-kuma;
in {
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
  };
}
