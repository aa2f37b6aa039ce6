{ config, ... }:
let
  cfg = config.hwc.server.containers.paperless;
in {
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
  };
}
