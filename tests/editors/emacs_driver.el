;;; emacs_driver.el --- drive Eglot against dockerfile-refactor-ls in `emacs --batch'  -*- lexical-binding: t -*-

;; Used by tests/editors/test_emacs.py as
;;   emacs --batch -l emacs_driver.el
;; with DRLS_INIT (the snippets of docs/editors/emacs.md, as a file), DRLS_FILE (the Dockerfile),
;; DRLS_RESULT (where the result goes, as `KEY VALUE' lines) and DRLS_COLUMN (where to put point on
;; line 1 before running `dockerfile-refactor-quickfix').
;;
;; Batch Emacs has no command loop, so `post-command-hook' (where `eglot-ensure' connects and Flymake
;; starts) never runs by itself: `drls-idle' runs it and lets the processes talk, as an idle
;; interactive Emacs would.

(require 'cl-lib)
(require 'package)
(package-initialize)

(defvar drls-lines nil)
(defvar drls-started (float-time))

(defun drls-note (key value)
  (push (format "%s %s" key value) drls-lines))

(defun drls-step (name)
  (drls-note "step" (format "%s (%d ms)" name (* 1000 (- (float-time) drls-started)))))

(defun drls-idle (seconds pred what)
  "Run the command-loop hooks and process output until PRED holds, at most SECONDS."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (run-hooks 'post-command-hook)
      (accept-process-output nil 0.02))
    (unless (funcall pred)
      (error "Timed out after %s s waiting for %s" seconds what))
    (drls-step what)))

(defun drls-codes ()
  (delete-dups
   (cl-loop for d in (flymake-diagnostics)
            for lsp = (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))
            when lsp collect (format "%s:%s" (plist-get lsp :code) (plist-get lsp :severity)))))

(defun drls-run ()
  (load (getenv "DRLS_INIT") nil t)
  (find-file (getenv "DRLS_FILE"))
  (drls-note "mode" major-mode)
  (drls-idle 30 #'eglot-managed-p "eglot managing the buffer")
  (drls-idle 30 (lambda () (cl-some (lambda (c) (string-prefix-p "FromAsCasing:" c)) (drls-codes)))
             "diagnostic FromAsCasing")
  (when (getenv "DRLS_SETTLE")
    (drls-idle 30 (lambda () (not (cl-some (lambda (c) (string-prefix-p (getenv "DRLS_SETTLE") c)) (drls-codes))))
               (format "%s gone" (getenv "DRLS_SETTLE"))))
  (dolist (code (drls-codes)) (drls-note "diagnostic" code))
  (goto-char (point-min))
  (forward-char (string-to-number (getenv "DRLS_COLUMN")))
  (let ((tick (buffer-modified-tick)))
    (call-interactively #'dockerfile-refactor-quickfix)
    (drls-idle 10 (lambda () (/= tick (buffer-modified-tick))) "quick fix applied"))
  (save-buffer)
  (drls-step "saved"))

(let ((status "ok"))
  (condition-case err
      (drls-run)
    (error
     (setq status (format "error %S" err))
     ;; The JSON-RPC traffic, for the failure message.
     (let ((server (ignore-errors (eglot-current-server))))
       (when server
         (with-current-buffer (jsonrpc-events-buffer server)
           (write-region nil nil (concat (getenv "DRLS_RESULT") ".events")))))))
  (drls-note "emacs" emacs-version)
  (drls-note "status" status)
  (with-temp-file (getenv "DRLS_RESULT")
    (insert (mapconcat #'identity (reverse drls-lines) "\n") "\n"))
  (kill-emacs 0))
