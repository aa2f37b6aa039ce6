{ config, ... }:
let
  cfg = config.hwc.server.containers.n8n;
in {
  # Public: webhooks from outside services land here.
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
    tls = {
      email = "admin@example.com";
    };
  };
}
