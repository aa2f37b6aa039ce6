# hosts/server/default.nix — the machine: hardware, identity, and which profile it runs.
{ ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../profiles/server.nix
    ../../domains/secrets
  ];

  networking.hostName = "server";
  time.timeZone = "America/Los_Angeles";

  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
      PermitRootLogin = "no";
    };
  };

  users.users.admin = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };

  # The age identity matching the `server` recipient in ../../secrets.nix is
  # copied here once, out of band; it never enters the repository.
  age.identityPaths = [ "/var/lib/agenix/server.key" ];

  system.stateVersion = "24.11";
}
