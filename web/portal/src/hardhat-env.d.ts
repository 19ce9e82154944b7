// The portal's pages import the read service's answer types (src/portal/views.ts), whose modules
// name Hardhat's network connection; this brings the plugins' type additions into the pages' check.
// Types only: nothing of Hardhat reaches the bundle.
import "@nomicfoundation/hardhat-toolbox-mocha-ethers";
