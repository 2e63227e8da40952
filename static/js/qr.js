// The QR code beside a channel: a thumb opens it larger in a dialog, where the downloads are
// links of their own. Without this script the link opens the image itself (never a download).
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-qr-dialog]");
  const dialog = opener && document.getElementById(opener.dataset.qrDialog);
  if (dialog && typeof dialog.showModal === "function") {
    event.preventDefault();
    dialog.showModal();
  }
});
// A click on the backdrop (outside the dialog's box) closes it, as people expect of a larger view.
document.addEventListener("click", (event) => {
  if (event.target instanceof HTMLDialogElement && event.target.classList.contains("qr-dialog")) {
    const box = event.target.getBoundingClientRect();
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) {
      event.target.close();
    }
  }
});
