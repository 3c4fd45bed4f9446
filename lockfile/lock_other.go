//go:build !unix && !windows

package lockfile

import (
	"errors"
	"os"
)

// tryLock: this system has no file locks the package knows of.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("file locks are not supported on this system")
}
