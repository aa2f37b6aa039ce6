# lib/helpers.nix — builders shared by container modules.
#
#   helpers = import ../../../../lib/helpers.nix { inherit lib; };
#   config = lib.mkIf cfg.enable (helpers.mkContainer { name = "x"; image = "…"; … });
{ lib, ... }:
{
  # One virtualisation.oci-containers entry with the house defaults: the
  # process runs as 1000:1000 (linuxserver.io's PUID/PGID convention), in the
  # server's time zone, logging to the journal. Anything passed in wins.
  mkContainer =
    { name
    , image
    , ports ? [ ]
    , volumes ? [ ]
    , environment ? { }
    , environmentFiles ? [ ]
    , extraOptions ? [ ]
    , dependsOn ? [ ]
    }:
    {
      virtualisation.oci-containers.containers.${name} = {
        inherit image ports volumes environmentFiles dependsOn;
        environment = {
          PUID = "1000";
          PGID = "1000";
          TZ = "America/Los_Angeles";
        } // environment;
        extraOptions = lib.unique ([ "--log-driver=journald" ] ++ extraOptions);
      };
    };
}
