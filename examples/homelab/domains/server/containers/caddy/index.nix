# Caddy runs as a native NixOS service, not a container: it has to see real
# client addresses and own ports 80/443 on the host.
#
# Every file in ./routes evaluates to { "<domain>" = { reverse_proxy.to = …;
# tls = { email = …; }; basicauth = { <user> = "<bcrypt hash>"; }; }; }
# and becomes one virtual host.
{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.caddy;

  routeFiles = lib.mapAttrsToList (file: _: ./routes + "/${file}")
    (lib.filterAttrs (file: type: type == "regular" && lib.hasSuffix ".nix" file)
      (builtins.readDir ./routes));

  routes = lib.foldl' (all: file: all // import file { inherit config; }) { } routeFiles;

  basicauthBlock = users: lib.concatStringsSep "\n" (
    [ "basicauth {" ]
    ++ lib.mapAttrsToList (user: hash: "  ${user} ${hash}") users
    ++ [ "}" ]
  );

  toExtraConfig = route: lib.concatStringsSep "\n" (
    lib.optional (route ? tls) "tls ${route.tls.email}"
    ++ lib.optional (route ? basicauth) (basicauthBlock route.basicauth)
    ++ [ "reverse_proxy ${route.reverse_proxy.to}" ]
  );
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    services.caddy = {
      enable = true;
      email = cfg.email;
      virtualHosts = lib.mapAttrs (_: route: { extraConfig = toExtraConfig route; }) routes;
    };

    networking.firewall.allowedTCPPorts = [ 80 443 ];
  };
}
