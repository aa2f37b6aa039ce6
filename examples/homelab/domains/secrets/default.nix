{
  imports = [ ./index.nix ];
}
