{ config, ... }:
let
  cfg = config.hwc.server.containers.prowlarr;
in {
  # Indexer keys live in prowlarr: keep it behind a second password.
  "${cfg.domain}" = {
    reverse_proxy.to = "http://localhost:${toString cfg.port}";
    basicauth = {
      # `caddy hash-password`; the password itself is not in the repository
      admin = "$2a$14$FE49FpJOiCicpzjOcvrcUetou6oQnl1ComMqxf.7L8xoAUXzYWYo6";
    };
  };
}
