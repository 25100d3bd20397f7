"""The labs of a tree: each lab/NN-name/ folder holds lab.json (its name,
the ALLOC it boots, the files a student may change), README.md (the
handout), grade.py (public tests) and, in the staff tree only, hidden/."""
import json
import os


class LabError(Exception):
    pass


class LabInfo:
    def __init__(self, root, folder):
        self.root = root
        self.folder = folder                        # "02-bootmem"
        self.dir = os.path.join(root, "lab", folder)
        with open(os.path.join(self.dir, "lab.json")) as f:
            meta = json.load(f)
        self.meta = meta
        self.name = meta["name"]                    # "bootmem"
        self.title = meta["title"]
        self.alloc = meta.get("alloc")              # ALLOC= the lab's kernel uses
        self.files = meta["files"]                  # the whitelist
        self.time = meta.get("time", "")
        self.handout = "lab/%s/README.md" % folder

    def hidden_dir(self):
        return os.path.join(self.dir, "hidden")


def all_labs(root):
    """Every lab of the tree at root, in course order."""
    base = os.path.join(root, "lab")
    if not os.path.isdir(base):
        return []
    return [LabInfo(root, d) for d in sorted(os.listdir(base))
            if os.path.isfile(os.path.join(base, d, "lab.json"))]


def find_lab(root, name):
    """The lab called name ("bootmem") or with that folder ("02-bootmem")."""
    labs = all_labs(root)
    for lab in labs:
        if name in (lab.name, lab.folder):
            return lab
    raise LabError("no lab %r; the labs are: %s" % (name, ", ".join(l.name for l in labs) or "none"))
