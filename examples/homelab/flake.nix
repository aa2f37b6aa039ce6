{
  description = "Home server: Podman containers as NixOS modules, laid out like nixos-hwc";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

    agenix = {
      url = "github:ryantm/agenix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, agenix, ... }: {
    nixosConfigurations.server = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        agenix.nixosModules.default
        ./hosts/server
      ];
    };
  };
}
